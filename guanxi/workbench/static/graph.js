/* guanxi workbench: draws the network of a graph page from its JSON block (same origin, no inline script).
 * Exposes for tests: window.guanxiNetwork, window.guanxiStable, #gx-network[data-stable].
 * Labels are drawn on the canvas and tooltips are plain strings (vis-network shows them with innerText):
 * no text from a document goes through innerHTML. */
(function () {
  "use strict";
  window.guanxiStable = false;
  var container = document.getElementById("gx-network");
  var status = document.getElementById("gx-status");
  var block = document.getElementById("gx-graph-data");
  if (!container || !block || typeof vis === "undefined") { return; }
  var data = JSON.parse(block.textContent);
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  window.guanxiNetwork = network;

  function stable() {
    if (window.guanxiStable) { return; }
    network.setOptions({ physics: { enabled: false } });
    window.guanxiStable = true;
    container.setAttribute("data-stable", "true");
    if (status) { status.textContent = data.nodes.length + " nodes; double-click a node to open its page"; }
    var found = data.nodes.filter(function (n) { return n.found; }).map(function (n) { return n.id; });
    if (found.length) {
      network.selectNodes(found);
      network.fit({ nodes: found.concat([data.centre]), animation: false });
    }
  }
  if (data.nodes.length === 0) { stable(); } else {
    network.once("stabilizationIterationsDone", stable);
    network.once("stabilized", stable);
  }
  network.on("doubleClick", function (params) {
    if (params.nodes.length) {
      var n = nodes.get(params.nodes[0]);
      if (n && n.href && n.href.charAt(0) === "/") { window.location.assign(n.href); }
    }
  });
  var toggle = document.getElementById("gx-directive-labels");
  if (toggle) {
    toggle.addEventListener("change", function () {
      nodes.update(data.nodes.filter(function (n) { return n.kind === "Directive" && !n.centre; }).map(function (n) {
        return { id: n.id, label: toggle.checked ? n.fullLabel.slice(0, 24) : "" };
      }));
    });
  }
})();
