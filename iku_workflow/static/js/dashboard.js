// Draws one Chart.js chart per IKU from the canvas's data-chart attribute (no inline scripts: CSP).
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }
  function draw(canvas) {
    var data;
    try { data = JSON.parse(canvas.getAttribute("data-chart")); } catch (e) { return; }
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          { type: "bar", label: (data.legend || {}).realisation || "Realisasi (s.d. TW)", data: data.realisation,
            backgroundColor: "rgba(25, 135, 84, 0.7)" },
          { type: "line", label: (data.legend || {}).target || "Target", data: data.target, borderColor: "#0d6efd", backgroundColor: "#0d6efd",
            borderDash: [6, 4], spanGaps: true }
        ]
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        plugins: { legend: { position: "bottom", labels: { usePointStyle: true } } },
        scales: { y: { beginAtZero: true, title: { display: true, text: data.unit } } }
      }
    });
  }
  document.querySelectorAll("canvas[data-chart]").forEach(draw);
})();
