"use strict";
// The mapping-set lean no-op provider object: stored in state as require("aep-bench-lean-noop/shims/mapping-set").
module.exports = require("../provider").leanProvider("mappingSet");
