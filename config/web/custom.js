// The dealer system's customisation of the sao web client.  sao's
// index.html loads custom.js from its web root right after tryton-sao.js,
// so what is set here replaces sao's defaults before the client starts.
// `./dealer install` links this file into var/web/.

// Our product name in the header and in the browser tab (R-ALL-02), instead
// of "Tryton".
Sao.config.title = '经销商管理系统';
document.title = Sao.config.title;
