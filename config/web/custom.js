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

// The web client's own strings that its zh_CN catalogue lacks or spoils
// (tryton-sao 8.0), in the words of docs/glossary.md: put into the
// catalogue as sao hands it to gettext.js (each entry's text by then).
(function() {
    var ZH_CN = {
        'Email': '电子邮件',
        'Email...': '发送电子邮件...',
        'Email %1': '电子邮件 %1',
        'Send an email using the record': '以此记录发送电子邮件',
        'Error: "%1". Try again later.': '错误：“%1”。请稍后再试。',
        'Check menu entries to add favorites': '勾选菜单项以加入收藏',
        'Remove from favorites': '从收藏中移除',
        'Send you an email to reset your password.':
            '向您发送一封重置密码的电子邮件。',
        'Reset forgotten password': '重置忘记的密码',
        'A request to reset your password has been sent.\nPlease check your mailbox.':
            '重置密码的请求已发送。\n请查收您的邮箱。',
        'Details': '详情',
        'Chat': '讨论',
        'Select a color for "%1"': '为“%1”选择颜色',
        'Restore': '恢复',
        'Reset Column Widths': '重置列宽',
        'Failed to copy text to clipboard: %1': '复制到剪贴板失败：%1',
        'Module:': '模块：',
        'XML ID:': 'XML ID：',
        'Add a follower': '添加关注人',
        'Subscribe a follower to this channel': '为此讨论添加关注人',
        'Show followers': '查看关注人',
        'Unsubscribe': '取消关注',
        'Subscribe': '关注',
        'Enter a message': '输入消息',
        'Submit the message': '发送消息',
        'Make this an internal message': '设为内部消息',
        'No notifications at this time': '暂无通知',
        'All Notifications...': '全部通知...',
        'Preferences...': '个人设置...',
    };
    // Desktop-menu accelerators (_V) mean nothing in a browser.
    var REPLACE = {
        'Favorites': '收藏',
        'Previous tab': '上一标签',
        'Next tab': '下一标签',
        'Reports': '报表',
    };
    var loadJSON = Sao.i18n.loadJSON;
    Sao.i18n.loadJSON = function(data) {
        if (data[''] && data[''].language == 'zh_CN') {
            for (var key in ZH_CN) {
                if (!data[key]) {
                    data[key] = ZH_CN[key];
                }
            }
            for (key in REPLACE) {
                data[key] = REPLACE[key];
            }
        }
        return loadJSON.apply(this, arguments);
    };
})();
