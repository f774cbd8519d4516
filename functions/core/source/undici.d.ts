// The three undici modules the source client uses, required by path instead of through the
// package index: the index also loads fetch, WebSocket, EventSource, the cache and mock
// agents and the proxy agents, which more than double a Lambda bundle and its cold load.
// undici is pinned to an exact version in package.json (it has no "exports" map, so these
// paths are reachable); the types are undici's own.
declare module 'undici/lib/dispatcher/agent' {
  import Agent from 'undici/types/agent';
  export = Agent;
}

declare module 'undici/lib/api/api-request' {
  import Dispatcher from 'undici/types/dispatcher';
  /** undici's `Dispatcher.prototype.request`, called with the dispatcher as `this`. */
  function request(this: Dispatcher, options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData>;
  export = request;
}

declare module 'undici/lib/core/errors' {
  import errors from 'undici/types/errors';
  export = errors;
}
