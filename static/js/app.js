// Starts GOV.UK Frontend's components and the service's own behaviour.
import { initAll } from "../govuk/govuk-frontend.min.js";
import { startSessionTimeout, restoreSavedForms } from "./session-timeout.js";

initAll();
restoreSavedForms();
startSessionTimeout();
