// The dealer system's customisation of the sao web client.  sao's
// index.html loads custom.js from its web root right after tryton-sao.js,
// so what is set here replaces sao's defaults before the client starts.
// `./dealer install` links this file into var/web/.

// Our product name in the header and in the browser tab (R-ALL-02), instead
// of "Tryton".
Sao.config.title = '经销商管理系统';
document.title = Sao.config.title;

// A button in a list row acts on the first click, on its own row (the
// approver's 同意 / 驳回 in his list): sao's own handler lets the first click
// only select the row and needs a second one.
(function() {
    var ButtonColumn = Sao.View.Tree.ButtonColumn.prototype;
    var button_clicked = ButtonColumn.button_clicked;
    ButtonColumn.button_clicked = function(event) {
        var record = event.data[0];
        if (record != this.view.screen.current_record) {
            var row = this.view.rows.find(function(row) {
                return row.record == record;
            });
            if (row) {
                this.view.select_records(null, null);
                row.set_selection(true);
                row.selection_changed();
            }
        }
        return button_clicked.call(this, event);
    };
})();
