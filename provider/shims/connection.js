"use strict";
// The generic connection's provider object. A program that installed this package serializes it into `__provider` as
// require("pulumi-aep-flow/shims/connection") (Pulumi stores a reference to an installed module, not its code);
// see ../shim.js. This path is stored in users' state: never move or rename this file or its export.
module.exports = require("../shim").createShim("connection");
