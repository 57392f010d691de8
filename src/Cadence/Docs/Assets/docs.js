// Renders this server's OpenAPI document with the Redoc bundle the server ships (see DocsApi.cs).
const element = document.getElementById('redoc');

// Redoc's search builds its index in a web worker only after testing that it may compile code from a string,
// which this page's Content-Security-Policy forbids ('unsafe-eval'); the refused test is itself a violation.
// Without Worker the search skips the test and indexes on the page: the same results, no eval.
delete window.Worker;

const { init } = await import(element.dataset.bundle);
init(element.dataset.spec, {
    // Redoc 3 reports usage to Redocly unless told not to; this page talks to its own server only.
    disableTelemetry: true,
}, element);
