// Starts Swagger UI on /docs; a file, not inline, so the page's CSP allows no inline script.
window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
  validatorUrl: null, // the default calls a public validator; the docs must work offline
});
