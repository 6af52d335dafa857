// The SPARQL page's editor: YASGUI (bundled, /static/vendor/yasgui), set up to ask only this server.
// Its own completers ask prefix.cc and Linked Open Vocabularies: they are replaced by the ontology's
// terms, which the page gives with the predefined prefixes and the named queries as examples. The
// query is kept in the address bar (?query=...), so a page's address is its query. Without script,
// the plain form below the editor still works.
(function () {
  "use strict";
  var settingsNode = document.getElementById("editor-settings");
  if (!settingsNode || !window.Yasgui) return;
  var settings = JSON.parse(settingsNode.textContent);
  settings.endpoint = new URL(settings.endpoint, window.location.href).toString();  // YASGUI wants it absolute
  var Yasqe = window.Yasgui.Yasqe;
  var Yasr = window.Yasgui.Yasr;

  function prefixLines(query) {
    // The endpoint predefines these prefixes; the editor's syntax check wants them declared, so the
    // ones a query uses without declaring are shown declared (the server reads the query the same way).
    var used = {};
    var pattern = /(^|[\s(,;\/^!|{])([A-Za-z][\w.-]*):(?![\/])/g, match;
    while ((match = pattern.exec(query)) !== null) used[match[2]] = true;
    var declared = {};
    var declaration = /PREFIX\s+([A-Za-z][\w.-]*)?:/gi;
    while ((match = declaration.exec(query)) !== null) declared[match[1] || ""] = true;
    return Object.keys(used).filter(function (name) {
      return settings.prefixes[name] && !declared[name];
    }).map(function (name) { return "PREFIX " + name + ": <" + settings.prefixes[name] + ">"; });
  }

  function withPrefixes(query) {
    var lines = prefixLines(query);
    return lines.length ? lines.join("\n") + "\n" + query : query;
  }

  function termCompleter(base, name, list) {
    Yasqe.forkAutocompleter(base, {
      name: name,
      bulk: true,
      persistenceId: null,
      get: function () { return list; }
    }, false);
  }
  termCompleter("property", "coopgraph-properties", settings.properties);
  termCompleter("class", "coopgraph-classes", settings.classes);
  Yasqe.defaults.autocompleters = ["prefixes", "variables", "coopgraph-properties", "coopgraph-classes"];
  // only the plugins that draw here: the others load maps or charts from the internet
  ["geo", "gchart"].forEach(function (plugin) { delete Yasr.plugins[plugin]; });

  var params = new URLSearchParams(window.location.search);
  var first = params.get("query") || (settings.examples[0] ? settings.examples[0].query : "SELECT * WHERE { ?s ?p ?o } LIMIT 10");
  var panel = document.getElementById("editor-panel");
  panel.hidden = false;
  document.getElementById("sparql-form").hidden = true;
  var yasgui = new window.Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: settings.endpoint, method: "POST", headers: {} },
    copyEndpointOnNewTab: false,
    persistenceId: null,
    populateFromUrl: false,
    showSnippetsBar: false,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: settings.endpoint }]; } },
    yasqe: { value: withPrefixes(first), resizeable: true, editorHeight: "260px", showQueryButton: true },
    yasr: { defaultPlugin: "table", prefixes: settings.prefixes }
  });
  window.coopgraphEditor = yasgui;
  var tab = yasgui.getTab();

  function keepInAddressBar(query) {
    var url = new URL(window.location.href);
    url.searchParams.set("query", query);
    window.history.replaceState(null, "", url.toString());
  }

  tab.getYasqe().on("query", function (yasqe) { keepInAddressBar(yasqe.getValue()); });
  document.getElementById("example-select").addEventListener("change", function (event) {
    var chosen = settings.examples.filter(function (e) { return e.name === event.target.value; })[0];
    if (!chosen) return;
    tab.getYasqe().setValue(withPrefixes(chosen.query));
    keepInAddressBar(tab.getYasqe().getValue());
  });
})();
