"use strict";
// The dataflow lean no-op provider object: stored in state as require("aep-bench-lean-noop/shims/dataflow").
module.exports = require("../provider").leanProvider("dataflow");
