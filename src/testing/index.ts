/**
 * `pulseguard/testing`: helpers for testing your own monitoring without the network.
 * The fake Telegram data centre drives a real GramJS TelegramClient in-process.
 */
export { FakeTelegram, FakeDataCenter, rpcError, delay, noReply } from './fake-dc/index';
export type {
  FakeConnectionClass, FakeRequest, FakeResult, FakeReply, FakeAnswer, FakeCallContext, FakeHandler, ReceivedRequest,
  FakeDataCenterOptions,
} from './fake-dc/index';
