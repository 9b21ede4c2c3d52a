"use strict";
// The object Pulumi serializes into every resource's `__provider`. It is hand-written and shipped
// verbatim so that its text never changes with the compiler or with the lifecycle code: a changed
// text would show every resource as updated, and read/delete always run the text stored in state.
// Each method loads the real lifecycle at run time from the installed package and delegates to it.
// Never add module-level state here: each serialized function gets its own copy of captured values.

/**
 * Builds the serialized provider for one connection kind.
 * @param {string} kind connection kind, e.g. "ftp"
 */
function createShim(kind) {
  // Loads the lifecycle entry point. The serialized text is loaded with no filename, so require()
  // resolves from the program folder's node_modules. A program inside this package's own repository
  // (examples/) imports it by relative path and has no such entry: then find the package root from
  // the working directory and load the entry through the package's self-reference ("exports").
  function lifecycle() {
    var entry = "pulumi-aep-flow/lifecycle";
    try {
      return require(entry);
    } catch (err) {
      if (!err || err.code !== "MODULE_NOT_FOUND") throw err;
      var path = require("path");
      var fs = require("fs");
      var dir = process.cwd();
      for (;;) {
        var manifest = path.join(dir, "package.json");
        if (fs.existsSync(manifest)) {
          var name;
          try { name = JSON.parse(fs.readFileSync(manifest, "utf8")).name; } catch (e) { name = undefined; }
          if (name === "pulumi-aep-flow") return require("module").createRequire(manifest)(entry);
        }
        var parent = path.dirname(dir);
        if (parent === dir) throw err;
        dir = parent;
      }
    }
  }
  return {
    configure: function (req) { return lifecycle().configure(kind, req); },
    check: function (olds, news) { return lifecycle().check(kind, olds, news); },
    diff: function (id, olds, news) { return lifecycle().diff(kind, id, olds, news); },
    create: function (inputs) { return lifecycle().create(kind, inputs); },
    read: function (id, props) { return lifecycle().read(kind, id, props); },
    update: function (id, olds, news) { return lifecycle().update(kind, id, olds, news); },
    delete: function (id, props) { return lifecycle().delete(kind, id, props); },
  };
}

exports.createShim = createShim;
