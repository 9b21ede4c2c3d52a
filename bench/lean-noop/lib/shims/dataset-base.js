"use strict";
// The dataset-base lean no-op provider object: stored in state as require("aep-bench-lean-noop/shims/dataset-base").
module.exports = require("../provider").leanProvider("datasetBase");
