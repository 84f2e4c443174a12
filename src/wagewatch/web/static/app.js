/* 欠薪预警处置平台 — page behaviour. No inline scripts (CSP script-src 'self'). */
(function () {
  "use strict";

  var csrf = document.querySelector('meta[name="csrf-token"]');

  // Every htmx request carries the CSRF token.
  document.addEventListener("htmx:configRequest", function (event) {
    if (csrf) { event.detail.headers["X-CSRF-Token"] = csrf.content; }
  });

  var FONT = getComputedStyle(document.body).fontFamily;
  var CHANGE_COLOURS = { raised: "#d9302c", upgraded: "#f08c00", downgraded: "#3b82f6", cleared: "#12b76a" };

  function barChart(el, chart, listUrl) {
    var instance = echarts.init(el, null, { renderer: "canvas" });
    var empty = chart.categories.length === 0;
    instance.setOption({
      textStyle: { fontFamily: FONT },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, renderMode: "richText" },
      legend: { top: 0, itemWidth: 12, itemHeight: 12 },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: chart.categories,
               axisLabel: { interval: 0, rotate: chart.categories.length > 6 ? 30 : 0 } },
      yAxis: { type: "value", minInterval: 1 },
      graphic: empty ? [{ type: "text", left: "center", top: "middle",
                          style: { text: "暂无预警", fill: "#98a2b3", fontSize: 14 } }] : [],
      series: chart.series.slice().reverse().map(function (s) {
        return { id: s.level, name: s.name, type: "bar", stack: "level", data: s.values,
                 itemStyle: { color: s.colour }, barMaxWidth: 42, emphasis: { focus: "series" },
                 cursor: "pointer" };
      })
    });
    instance.on("click", function (params) {
      var query = chart.dimension + "=" + encodeURIComponent(params.name);
      if (params.seriesId) { query += "&level=" + encodeURIComponent(params.seriesId); }
      window.location.href = listUrl + "?" + query;
    });
    return instance;
  }

  function trendChart(el, trend) {
    var instance = echarts.init(el, null, { renderer: "canvas" });
    instance.setOption({
      textStyle: { fontFamily: FONT },
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { top: 0, itemWidth: 12, itemHeight: 12 },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: trend.months },
      yAxis: { type: "value", minInterval: 1 },
      series: trend.series.map(function (s) {
        return { id: s.change, name: s.name, type: "bar", data: s.values, barMaxWidth: 18,
                 itemStyle: { color: CHANGE_COLOURS[s.change] || "#667085" } };
      })
    });
    return instance;
  }

  function initCharts() {
    var holder = document.getElementById("chart-data");
    if (!holder || !window.echarts) { return; }
    var data = JSON.parse(holder.textContent);
    var charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var kind = el.getAttribute("data-chart");
      var chart = null;
      if (kind === "trend") { chart = trendChart(el, data.trend); }
      else if (data[kind]) { chart = barChart(el, data[kind], data.list); }
      if (!chart) { return; }
      charts.push(chart);
      // "finished" fires once the bars have grown to their size: only then are they clickable
      chart.on("finished", function () { el.setAttribute("data-ready", "true"); });
    });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }

  // A form with data-confirm asks first.
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) { event.preventDefault(); }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initCharts);
  } else {
    initCharts();
  }
})();
