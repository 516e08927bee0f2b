// SKM pages: the NRR bar chart (data from a JSON block) and fast paper entry (jump to the next box).
(function () {
  "use strict";
  var dataNode = document.getElementById("skm-chart-data");
  var canvas = document.getElementById("skm-chart");
  if (dataNode && canvas && window.Chart) {
    var data = JSON.parse(dataNode.textContent);
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [{ label: "NRR", data: data.values, backgroundColor: "#198754" }]
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { min: 1, max: 4, ticks: { stepSize: 0.5 } } },
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { title: function (items) { return data.names[items[0].dataIndex]; } } }
        }
      }
    });
  }
  // Paper entry: typing 1-4 in an answer box moves to the next one.
  var boxes = document.querySelectorAll("[data-skm-answer]");
  boxes.forEach(function (box, index) {
    box.addEventListener("input", function () {
      if (/^[1-4]$/.test(box.value) && index + 1 < boxes.length) {
        boxes[index + 1].focus();
        boxes[index + 1].select();
      }
    });
  });
})();
