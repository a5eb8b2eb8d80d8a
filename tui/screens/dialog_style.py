"""The rules every dialog shares (the app's own, the help and the import dialog): read when the
first dialog opens, as its DEFAULT_CSS, not with app.tcss before the first frame."""

#: Not scoped to one dialog class: each sets SCOPED_CSS = False.
DIALOG_CSS = """
    .dialog-screen {
        align: center middle;
        background: $background 60%;
    }

    .dialog {
        width: 76;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }

    .error-dialog {
        border: round $error;
    }

    /* Where c copied the details: under them, aligned with them. */
    .error-dialog StatusLine {
        padding: 0;
        margin-top: 1;
    }

    .busy-dialog {
        height: auto;
    }

    .busy-dialog LoadingIndicator {
        height: 3;
    }

    .help-dialog {
        width: 90;
        height: 100%;
    }

    .dialog-title {
        text-style: bold;
        width: 100%;
        padding: 0 0 1 0;
    }

    .dialog-body {
        height: auto;
        padding: 0 0 1 0;
    }

    .dialog-scroll {
        height: auto;
    }

    .dialog-buttons {
        height: auto;
        align-horizontal: right;
    }

    .dialog-buttons Button {
        margin-left: 1;
    }

    .detail-row {
        height: auto;
    }

    .detail-label {
        width: 12;
        color: $text-muted;
    }

    .detail-value {
        width: 1fr;
        height: auto;
    }

    .help-heading {
        text-style: bold;
        color: $text-accent;
        padding: 1 0 0 0;
    }

    .help-about, .help-flow {
        height: auto;
    }
"""
