"use strict";
// The s3 lean no-op provider object: stored in state as require("aep-bench-lean-noop/shims/s3").
module.exports = require("../provider").leanProvider("s3");
