// The HTTP client program of the bundles (scripts/build.mjs): what Kindling's code imports from
// `undici` (its dispatchers, and the request API that every dispatcher carries), without the
// package index, which also loads fetch, WebSocket, EventSource, the cache stores and the mocks.
// src/fetch/request.ts makes request() through a dispatcher. These are undici's own module paths
// (the package has no exports map); an upgrade that moves them fails the build, not a boot.
'use strict';
const Dispatcher = require('undici/lib/dispatcher/dispatcher');
const Agent = require('undici/lib/dispatcher/agent');
const ProxyAgent = require('undici/lib/dispatcher/proxy-agent');

// The package index gives every dispatcher its request API the same way.
Object.assign(Dispatcher.prototype, require('undici/lib/api'));

module.exports = { Dispatcher, Agent, ProxyAgent };
