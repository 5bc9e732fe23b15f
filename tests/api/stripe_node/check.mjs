// stripe-node's typed resources, unchanged, against a CasaPay server.
// Usage: node check.mjs http://127.0.0.1:PORT sk_test_...  → prints one JSON line of the calls
// that worked; exits 1 at the first call that did not (with its error).
import Stripe from "stripe";

const [base, key] = process.argv.slice(2);
const url = new URL(base);
const stripe = new Stripe(key, {
  host: url.hostname,
  port: Number(url.port),
  protocol: url.protocol.replace(":", ""),
  maxNetworkRetries: 0,
  telemetry: false,
});
const done = [];

function check(condition, what) {
  if (!condition) throw new Error(`check failed: ${what}`);
}

async function call(name, fn) {
  try {
    const result = await fn();
    done.push(name);
    return result;
  } catch (error) {
    console.log(JSON.stringify({ ok: false, failed: name, error: String(error), done }));
    process.exit(1);
  }
}

async function expectError(name, fn, errorClass, code) {
  try {
    await fn();
  } catch (error) {
    check(error instanceof errorClass, `${name}: ${error.constructor.name}`);
    check(!code || error.code === code, `${name}: code ${error.code}`);
    done.push(name);
    return;
  }
  console.log(JSON.stringify({ ok: false, failed: name, error: "no error", done }));
  process.exit(1);
}

const customer = await call("customers.create", () =>
  stripe.customers.create({ name: "Jane Doe", email: "jane@example.com", metadata: { unit: "4B" } }),
);
await call("customers.update", async () => {
  const c = await stripe.customers.update(customer.id, { name: "Jane D.", metadata: { floor: "2" } });
  check(c.name === "Jane D." && c.metadata.unit === "4B" && c.metadata.floor === "2", "update");
});
await call("customers.retrieve", async () => {
  check((await stripe.customers.retrieve(customer.id)).id === customer.id, "retrieve");
});
const rate = await call("taxRates.create", () =>
  stripe.taxRates.create({ display_name: "VAT", percentage: 19, inclusive: false }),
);
await call("taxRates.retrieve", () => stripe.taxRates.retrieve(rate.id));
await call("taxRates.list", () => stripe.taxRates.list({ limit: 3 }));

const invoiceParams = {
  customer: customer.id,
  collection_method: "send_invoice",
  days_until_due: 30,
  auto_advance: false,
  default_tax_rates: [rate.id],
  description: "January rent",
  metadata: { lease: "L-9" },
};
const invoice = await call("invoices.create", () =>
  stripe.invoices.create(invoiceParams, { idempotencyKey: "node-invoice-1" }),
);
await call("invoices.create (idempotent replay)", async () => {
  const again = await stripe.invoices.create(invoiceParams, { idempotencyKey: "node-invoice-1" });
  check(again.id === invoice.id, "same invoice");
});
const item = await call("invoiceItems.create", () =>
  stripe.invoiceItems.create({
    customer: customer.id,
    invoice: invoice.id,
    description: "Rent",
    amount: 100000,
    currency: "eur",
    quantity: 1,
  }),
);
await call("invoiceItems.update", async () => {
  const updated = await stripe.invoiceItems.update(item.id, { description: "Rent, unit 4B" });
  check(updated.description === "Rent, unit 4B", "item update");
});
await call("invoiceItems.retrieve", () => stripe.invoiceItems.retrieve(item.id));
const extra = await call("invoiceItems.create (second)", () =>
  stripe.invoiceItems.create({
    customer: customer.id,
    invoice: invoice.id,
    description: "Parking",
    amount: 5000,
    currency: "eur",
  }),
);
await call("invoiceItems.list", async () => {
  const items = await stripe.invoiceItems.list({ invoice: invoice.id, limit: 1 }).autoPagingToArray({
    limit: 10,
  });
  check(items.length === 2, `two items, got ${items.length}`);
});
await call("invoiceItems.del", async () => {
  check((await stripe.invoiceItems.del(extra.id)).deleted === true, "item deleted");
});
await call("invoices.update", () => stripe.invoices.update(invoice.id, { description: "Rent" }));
await call("invoices.retrieve (expand customer)", async () => {
  const got = await stripe.invoices.retrieve(invoice.id, { expand: ["customer"] });
  check(got.customer.id === customer.id && got.total === 119000, `total ${got.total}`);
  check(got.collection_method === "send_invoice" && got.due_date > 0, "stripe fields");
});
await call("invoices.finalizeInvoice", async () => {
  const open = await stripe.invoices.finalizeInvoice(invoice.id, { auto_advance: false });
  check(open.status === "open" && open.hosted_invoice_url, "open");
});
await expectError(
  "invoices.finalizeInvoice twice → StripeInvalidRequestError",
  () => stripe.invoices.finalizeInvoice(invoice.id),
  Stripe.errors.StripeInvalidRequestError,
  "status_transition_invalid",
);
await call("invoices.sendInvoice", () => stripe.invoices.sendInvoice(invoice.id));
await call("invoices.pay", async () => {
  const paid = await stripe.invoices.pay(invoice.id, { expand: ["payment_intent"] });
  check(paid.status === "paid" && paid.payment_intent.id.startsWith("pi_"), "paid");
});
for (const [action, status] of [
  ["voidInvoice", "void"],
  ["markUncollectible", "uncollectible"],
]) {
  await call(`invoices.${action}`, async () => {
    const other = await stripe.invoices.create({ customer: customer.id });
    await stripe.invoiceItems.create({
      customer: customer.id,
      invoice: other.id,
      description: "Fee",
      amount: 500,
      currency: "eur",
    });
    await stripe.invoices.finalizeInvoice(other.id);
    check((await stripe.invoices[action](other.id)).status === status, status);
  });
}
await call("invoices.del", async () => {
  const draft = await stripe.invoices.create({ customer: customer.id });
  check((await stripe.invoices.del(draft.id)).deleted === true, "deleted");
});
await call("invoices.list (auto-pagination keeps filters)", async () => {
  const all = await stripe.invoices.list({ customer: customer.id, limit: 1 }).autoPagingToArray({
    limit: 20,
  });
  check(all.length === 3, `three invoices, got ${all.length}`);
});
await expectError(
  "unknown parameter → StripeInvalidRequestError",
  () => stripe.invoices.create({ customer: customer.id, colour: "red" }),
  Stripe.errors.StripeInvalidRequestError,
  "parameter_unknown",
);
await expectError(
  "collection_method=charge_automatically is refused",
  () => stripe.invoices.create({ customer: customer.id, collection_method: "charge_automatically" }),
  Stripe.errors.StripeInvalidRequestError,
  "parameter_invalid",
);
await call("rawRequest email_aliases + alias_invoices", async () => {
  const alias = await stripe.rawRequest("POST", "/v1/email_aliases", { customer: customer.id });
  check(alias.object === "email_alias", "alias");
  const list = await stripe.rawRequest("GET", `/v1/alias_invoices?email_alias=${alias.id}`);
  check(list.object === "list", "list");
});
await call("customers.del", async () => {
  check((await stripe.customers.del(customer.id)).deleted === true, "customer deleted");
});
const bad = new Stripe("sk_test_wrong", {
  host: url.hostname,
  port: Number(url.port),
  protocol: "http",
  maxNetworkRetries: 0,
  telemetry: false,
});
await expectError(
  "wrong key → StripeAuthenticationError",
  () => bad.customers.list(),
  Stripe.errors.StripeAuthenticationError,
);
console.log(JSON.stringify({ ok: true, done }));
