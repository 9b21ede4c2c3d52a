"use strict";
// The source-connection lean no-op provider object: stored in state as require("aep-bench-lean-noop/shims/source-connection").
module.exports = require("../provider").leanProvider("sourceConnection");
