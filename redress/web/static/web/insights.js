// The insights dashboard's charts. The page carries each panel's data (#insights-data,
// already in the reader's language) and the few extra words the charts need
// (#insights-texts); every element with data-chart="<panel>" data-view="<view>" gets the
// chart drawn for that view. Without ECharts (not installed) nothing is drawn and the
// page's tables stay as they are.
(function () {
  "use strict";
  if (!window.echarts) { return; }
  var data = JSON.parse(document.getElementById("insights-data").textContent);
  var texts = JSON.parse(document.getElementById("insights-texts").textContent);
  var GOOD = "#0b6e4f", WARN = "#b44d12", MUTED = "#9aa5b1";

  function num(value) { return value === null || value === undefined ? null : Number(value); }
  function percent(share) { return share === null || share === undefined ? null : Math.round(share * 1000) / 10; }
  function labels(rows, key) { return rows.map(function (row) { return row[key || "label"]; }); }
  function grid(extra) {
    return Object.assign({left: 8, right: 16, top: 40, bottom: 8, containLabel: true}, extra || {});
  }
  function categoryAxis(names, extra) {
    return Object.assign({type: "category", data: names, axisLabel: {hideOverlap: true}}, extra || {});
  }
  var tooltip = {trigger: "axis", confine: true};
  var legend = {type: "scroll", top: 0};

  var DRAW = {
    "volume.by_channel": function (p) {
      return {tooltip: tooltip, legend: legend, grid: grid(),
        xAxis: categoryAxis(p.buckets, {boundaryGap: false}), yAxis: {type: "value", minInterval: 1},
        series: p.by_channel.map(function (s) {
          return {type: "line", name: s.label, data: s.counts, showSymbol: p.buckets.length <= 31};
        })};
    },
    "volume.by_scenario": function (p) {
      return {tooltip: tooltip, legend: legend, grid: grid(),
        xAxis: categoryAxis(p.buckets), yAxis: {type: "value", minInterval: 1},
        series: p.by_scenario.map(function (s) {
          return {type: "bar", name: s.label, data: s.counts, stack: "scenario"};
        })};
    },
    "emotions.mix": function (p) {
      return {tooltip: {trigger: "item", confine: true}, legend: legend,
        series: [{type: "pie", name: texts.cases, radius: ["35%", "65%"], top: 30,
          data: p.items.map(function (i) { return {name: i.label, value: i.cases}; })}]};
    },
    "first_response.bands": function (p) {
      var inside = p.bands.filter(function (b) {
        return b.upper_minutes !== null && b.upper_minutes <= p.target_minutes;
      });
      var area = inside.length ? [[{name: texts.target, xAxis: inside[0].label},
        {xAxis: inside[inside.length - 1].label}]] : [];
      return {tooltip: tooltip, grid: grid(), xAxis: categoryAxis(labels(p.bands)),
        yAxis: {type: "value", minInterval: 1},
        series: [{type: "bar", name: texts.cases,
          data: p.bands.map(function (b) {
            var ok = b.upper_minutes !== null && b.upper_minutes <= p.target_minutes;
            return {value: b.cases, itemStyle: {color: ok ? GOOD : WARN}};
          }),
          markArea: {silent: true, itemStyle: {color: "rgba(11, 110, 79, 0.08)"},
            label: {position: "insideTop"}, data: area}}]};
    },
    "first_response.sla": function (p) {
      return {tooltip: tooltip, legend: legend, grid: grid(), xAxis: categoryAxis(labels(p.sla)),
        yAxis: {type: "value", max: 100, axisLabel: {formatter: "{value}%"}},
        series: [
          {type: "bar", name: texts.first_response, itemStyle: {color: GOOD},
            data: p.sla.map(function (r) { return percent(r.first_response_attainment); })},
          {type: "bar", name: texts.resolution, itemStyle: {color: "#2e90fa"},
            data: p.sla.map(function (r) { return percent(r.resolution_attainment); })}]};
    },
    "resolution.bands": function (p) {
      return {tooltip: tooltip, grid: grid(), xAxis: categoryAxis(labels(p.bands)),
        yAxis: {type: "value", minInterval: 1},
        series: [{type: "bar", name: texts.cases, itemStyle: {color: "#2e90fa"},
          data: p.bands.map(function (b) { return b.cases; })}]};
    },
    "satisfaction.items": function (p) {
      var rows = [{label: texts.overall, avg: p.csat_avg}].concat(p.fairness);
      return {tooltip: tooltip, grid: grid(), xAxis: categoryAxis(labels(rows)),
        yAxis: {type: "value", min: 0, max: 5},
        series: [{type: "bar", name: texts.average, itemStyle: {color: GOOD},
          label: {show: true, position: "top"},
          data: rows.map(function (r) { return r.avg; })}]};
    },
    "compensation.by_month": function (p) {
      var months = p.cost_per_case_by_month;
      return {tooltip: tooltip, legend: legend, grid: grid(), xAxis: categoryAxis(labels(months, "month")),
        yAxis: {type: "value", name: texts.yuan},
        series: [
          {type: "line", name: texts.compensation, data: months.map(function (m) { return num(m.compensation); })},
          {type: "line", name: texts.cost_per_case, data: months.map(function (m) { return num(m.cost_per_case); })}]};
    },
    "root_causes.pareto": function (p) {
      return {tooltip: tooltip, legend: legend, grid: grid(), xAxis: categoryAxis(labels(p.pareto)),
        yAxis: [{type: "value", minInterval: 1},
          {type: "value", max: 100, axisLabel: {formatter: "{value}%"}, splitLine: {show: false}}],
        series: [
          {type: "bar", name: texts.cases, itemStyle: {color: WARN},
            data: p.pareto.map(function (r) { return r.cases; })},
          {type: "line", name: texts.cumulative, yAxisIndex: 1, itemStyle: {color: "#1f2933"},
            data: p.pareto.map(function (r) { return percent(r.cumulative_share); })}]};
    },
    "root_causes.responsible": function (p) {
      return {tooltip: tooltip, grid: grid({top: 8}), yAxis: categoryAxis(labels(p.responsible), {inverse: true}),
        xAxis: {type: "value", minInterval: 1},
        series: [{type: "bar", name: texts.cases, data: p.responsible.map(function (r) { return r.cases; })}]};
    },
    "problems.problems": function (p) {
      return {tooltip: tooltip, grid: grid({top: 8}), xAxis: categoryAxis(labels(p.problems)),
        yAxis: {type: "value", minInterval: 1},
        series: [{type: "bar", name: texts.cases, itemStyle: {color: WARN},
          data: p.problems.map(function (r) { return r.count; })}]};
    },
    "problems.actions": function (p) {
      return {tooltip: {trigger: "item", confine: true}, legend: legend,
        series: [{type: "pie", radius: ["30%", "60%"], top: 30,
          data: p.actions.map(function (r) { return {name: r.label, value: r.count}; })}]};
    },
    "outcomes.groups": function (p) {
      return {tooltip: tooltip, legend: legend, grid: grid(), xAxis: categoryAxis(labels(p.groups)),
        yAxis: [{type: "value", max: 100, axisLabel: {formatter: "{value}%"}},
          {type: "value", min: 0, max: 10, splitLine: {show: false}}],
        series: [
          {type: "bar", name: texts.return_rate, itemStyle: {color: GOOD},
            data: p.groups.map(function (g) { return percent(g.return_rate); })},
          {type: "bar", name: texts.csat, yAxisIndex: 1, itemStyle: {color: "#2e90fa"},
            data: p.groups.map(function (g) { return g.csat_avg; })},
          {type: "bar", name: texts.recommend, yAxisIndex: 1, itemStyle: {color: MUTED},
            data: p.groups.map(function (g) { return g.recommend_avg; })}]};
    },
    "paradox.groups": function (p) {
      return {tooltip: tooltip, grid: grid(), xAxis: categoryAxis(labels(p.groups)),
        yAxis: {type: "value", min: 0, max: 5},
        series: [{type: "bar", name: texts.csat, label: {show: true, position: "top"},
          data: p.groups.map(function (g, i) {
            return {value: g.csat_avg, itemStyle: {color: i === 0 ? MUTED : GOOD}};
          })}]};
    },
    "roi.value": function (p) {
      return {tooltip: tooltip, grid: grid({top: 16}), xAxis: categoryAxis([texts.retained_revenue, texts.recovery_cost]),
        yAxis: {type: "value", name: texts.yuan},
        series: [{type: "bar", name: texts.yuan, label: {show: true, position: "top"},
          data: [{value: num(p.retained_revenue), itemStyle: {color: GOOD}},
            {value: num(p.recovery_cost), itemStyle: {color: WARN}}]}]};
    },
    "people.agents": function (p) {
      var agents = p.agents.slice(0, 20);
      return {tooltip: tooltip, legend: legend, grid: grid(), xAxis: categoryAxis(labels(agents, "name")),
        yAxis: [{type: "value", minInterval: 1},
          {type: "value", max: 100, axisLabel: {formatter: "{value}%"}, splitLine: {show: false}}],
        series: [
          {type: "bar", name: texts.cases, data: agents.map(function (a) { return a.cases; })},
          {type: "line", name: texts.attainment, yAxisIndex: 1,
            data: agents.map(function (a) { return percent(a.first_response_attainment); })}]};
    }
  };

  var locale = document.documentElement.lang === "en" ? "EN" : "ZH";
  var charts = [];
  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var draw = DRAW[element.dataset.chart + "." + element.dataset.view];
    var panel = data[element.dataset.chart];
    if (!draw || !panel) { return; }
    var option = draw(panel);
    option.series.forEach(function (series) {
      if (series.type === "bar") { series.barMaxWidth = series.barMaxWidth || 56; }
    });
    var chart = window.echarts.init(element, null, {renderer: "canvas", locale: locale});
    chart.setOption(Object.assign({animationDuration: 300}, option));
    element.dataset.drawn = "true";
    charts.push(chart);
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
