"use strict";
// The provider object of each kind (provider/shims/<kind>.js exports one). A program that installed
// this package serializes it into `__provider` as a reference, require("pulumi-aep-flow/shims/<kind>"):
// Pulumi stores a module from node_modules by name, not by code. A program that loads the package
// by path (inside this repository) stores this code itself instead, so it is hand-written, shipped
// verbatim and kept short: one dispatcher, no fallbacks. Either way each method loads the real
// lifecycle at run time from the installed package and delegates to it. The serialized text is
// loaded with no filename, so require() resolves from the program folder's node_modules upwards
// (the build links this repository into its own node_modules so that examples/ resolve the same way).
// Never add module-level state here: each serialized function gets its own copy of captured values.

/**
 * Builds the serialized provider for one connection kind.
 * @param {string} kind connection kind, e.g. "ftp"
 */
function createShim(kind) {
  function call(method, args) {
    var lifecycle = require("pulumi-aep-flow/lifecycle");
    return lifecycle[method].apply(lifecycle, [kind].concat([].slice.call(args)));
  }
  return {
    configure: function () { return call("configure", arguments); },
    check: function () { return call("check", arguments); },
    diff: function () { return call("diff", arguments); },
    create: function () { return call("create", arguments); },
    read: function () { return call("read", arguments); },
    update: function () { return call("update", arguments); },
    delete: function () { return call("delete", arguments); },
  };
}

exports.createShim = createShim;
