// GramJS's deep modules import each other in a cycle: load the package root before any deep path.
import 'telegram';
export { FakeTelegram } from './fake-telegram';
export type { FakeConnectionClass } from './fake-telegram';
export { FakeDataCenter } from './fake-data-center';
export { rpcError, delay, noReply } from './replies';
export type {
  FakeRequest, FakeResult, FakeReply, FakeAnswer, FakeCallContext, FakeHandler, ReceivedRequest, FakeDataCenterOptions,
} from './types';
