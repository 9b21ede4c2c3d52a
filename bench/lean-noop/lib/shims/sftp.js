"use strict";
// The sftp lean no-op provider object: stored in state as require("aep-bench-lean-noop/shims/sftp").
module.exports = require("../provider").leanProvider("sftp");
