// Bar charts of the comparison page (ECharts, served from the project's own static files); every
// chart has its table below it, which is the reference: the chart only draws the printed numbers.
(function () {
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  if (typeof echarts === "undefined") return;
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var d = data[el.getAttribute("data-chart")];
    if (!d || !d.series.length) { el.style.display = "none"; return; }
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      animation: false, tooltip: { trigger: "axis" }, legend: { type: "scroll", top: 0 },
      grid: { left: 60, right: 20, top: 56, bottom: 40 },
      // the comparison across years has years on the axis; departments side by side have names (labels)
      xAxis: { type: "category", data: d.labels || d.years.map(function (y) { return y + "年"; }),
               axisLabel: { interval: 0, width: 110, overflow: "break" } },
      yAxis: { type: "value", name: d.unit || "万元" },
      series: d.series.map(function (s) {
        return { name: s.name, type: "bar", data: s.data.map(function (v) { return v === null ? null : Number(v); }) };
      })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
