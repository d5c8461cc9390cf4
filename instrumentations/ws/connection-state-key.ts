/** Per-connection state lives on the socket under this key (one hidden-class transition, shared by all sockets). @internal */
export const K_STATE = Symbol.for('pulseguard.ws.state');
