"use strict";
// The ftp lean no-op provider object: stored in state as require("aep-bench-lean-noop/shims/ftp").
module.exports = require("../provider").leanProvider("ftp");
