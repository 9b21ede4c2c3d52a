"use strict";
// The object Pulumi serializes into every resource's `__provider`. It is hand-written and shipped
// verbatim so that its text never changes with the compiler or with the lifecycle code: a changed
// text would show every resource as updated, and read/delete always run the text stored in state.
// Each method loads the real lifecycle at run time from the installed package and delegates to it.
// The text is stored twice per resource and the engine rewrites the whole state after every step,
// so it is kept short: one dispatcher, no fallbacks. The serialized text is loaded with no filename,
// so require() resolves from the program folder's node_modules upwards (the build links this
// repository into its own node_modules so that examples/ resolve the same way).
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
