// Start GOV.UK Frontend's components (the module is served by this site).
import { initAll } from "/static/govuk-frontend.min.js";

initAll();
