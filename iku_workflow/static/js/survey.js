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
  // Paper entry: each answer box takes one digit and the cursor moves to the next box, so a questionnaire
  // is typed as nine digits in a row. A digit outside the score scale (the box's pattern, from the form)
  // stays in its own box, marked invalid, and the cursor still moves on: the digits that follow land in
  // their own boxes instead of piling up in it.
  var boxes = document.querySelectorAll("[data-skm-answer]");
  function put(box, index, digit) {
    box.value = digit;
    box.classList.toggle("is-invalid", !new RegExp("^(?:" + box.getAttribute("pattern") + ")$").test(digit));
    if (index + 1 < boxes.length) {
      boxes[index + 1].focus();
    }
  }
  boxes.forEach(function (box, index) {
    box.addEventListener("keydown", function (event) {
      if (/^[0-9]$/.test(event.key) && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();  // replace the box's content instead of appending to it
        put(box, index, event.key);
      }
    });
    box.addEventListener("focus", function () {
      box.select();  // a digit typed by a keyboard without usable keydown replaces the answer too
    });
    // Keyboards that send no usable keydown (phones) still fire input: keep the last digit typed.
    box.addEventListener("input", function () {
      var digits = box.value.replace(/[^0-9]/g, "");
      if (digits) {
        put(box, index, digits.charAt(digits.length - 1));
      }
    });
  });
})();
