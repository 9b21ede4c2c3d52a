"use strict";
// The streaming lean no-op provider object: stored in state as require("aep-bench-lean-noop/shims/streaming").
module.exports = require("../provider").leanProvider("streaming");
