"use strict";
// The target-connection lean no-op provider object: stored in state as require("aep-bench-lean-noop/shims/target-connection").
module.exports = require("../provider").leanProvider("targetConnection");
