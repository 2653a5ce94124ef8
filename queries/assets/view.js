/* guanxi view page: builds the vis-network from the JSON data block and stops physics once stable.
 *
 * Exposes for tests and benchmarks:
 *   window.guanxiNetwork   the vis.Network
 *   window.guanxiStable    false until the initial stabilisation is done, then true
 *   window.guanxiStableMs  performance.now() at that moment
 *   window.guanxiError     a message if the page failed to build the network
 * The data never goes through innerHTML: node/edge titles are strings, which vis-network 9 shows with
 * innerText, and labels are drawn on the canvas.
 */
(function () {
  "use strict";
  window.guanxiStable = false;
  window.guanxiStableMs = null;
  window.guanxiNetwork = null;

  var container = document.getElementById("gx-network");
  var status = document.getElementById("gx-status");

  function setStatus(text) {
    if (status) { status.textContent = text; }
  }

  function markStable() {
    if (window.guanxiStable) { return; }
    window.guanxiStableMs = performance.now();
    window.guanxiStable = true;
    container.setAttribute("data-stable", "true");
    setStatus("layout done in " + Math.round(window.guanxiStableMs) + " ms");
  }

  var data;
  try {
    data = JSON.parse(document.getElementById("gx-data").textContent);
  } catch (err) {
    window.guanxiError = "bad data block: " + err;
    throw err;
  }
  if (typeof vis === "undefined" || !vis.Network) {
    window.guanxiError = "vis-network is not loaded";
    setStatus(window.guanxiError);
    throw new Error(window.guanxiError);
  }

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  window.guanxiNetwork = network;

  var physicsOn = !!(data.options.physics && data.options.physics.enabled !== false);
  if (!physicsOn || data.nodes.length === 0) {
    markStable();
    return;
  }

  network.on("stabilizationProgress", function (params) {
    setStatus("laying out… " + params.iterations + "/" + params.total);
  });
  network.once("stabilizationIterationsDone", function () {
    if (data.config.physicsStop) {
      network.setOptions({ physics: { enabled: false } });
    }
    markStable();
  });
  network.once("stabilized", markStable);
})();
