// Comments per table, row and cell on the package page: a cell a comment names is marked (its text
// as the tooltip); clicking a cell fills the table/row/column fields of the return (or comment) form.
(function () {
  "use strict";
  function columnOf(td) {
    var th = td.closest("table").querySelectorAll("thead th")[td.cellIndex];
    return th ? th.textContent.trim() : "";
  }
  function cellFor(table, row, col) {
    var block = Array.prototype.find.call(document.querySelectorAll("details[data-table]"), function (d) {
      return d.dataset.table === table;
    });
    if (!block) return null;
    var tr = Array.prototype.find.call(block.querySelectorAll("tr[data-row]"), function (r) { return r.dataset.row === row; });
    if (!tr) return null;
    if (!col) return tr.cells[0];
    return Array.prototype.find.call(tr.cells, function (td) { return columnOf(td) === col; }) || null;
  }
  document.querySelectorAll("ul.comments li[data-table]").forEach(function (li) {
    if (!li.dataset.table || !li.dataset.row) return;
    var td = cellFor(li.dataset.table, li.dataset.row, li.dataset.cell);
    if (!td) return;
    td.classList.add("commented");
    td.title = (td.title ? td.title + "；" : "") + "意见：" + li.dataset.text;
    td.closest("details").open = true;
  });
  var form = document.querySelector("form[action$='/return/']") || document.querySelector("form[action$='/comment/']");
  if (!form) return;
  document.querySelectorAll("details[data-table] tbody td").forEach(function (td) {
    td.classList.add("pickable");
    td.addEventListener("click", function (event) {
      if (event.target.closest("a")) return;
      var table = td.closest("details").dataset.table, row = td.closest("tr").dataset.row;
      var select = form.querySelector("select[name=table]");
      Array.prototype.forEach.call(select.options, function (o) { if (o.text === table) select.value = o.value || o.text; });
      form.querySelector("input[name=row]").value = row;
      form.querySelector("input[name=cell]").value = td.cellIndex === 0 ? "" : columnOf(td);
      var text = form.querySelector("textarea[name=text]");
      text.focus();
      text.scrollIntoView({block: "center"});
    });
  });
})();
