"""The HTTP edge: a Stripe-style API, the hosted pages, and the signed file URLs."""
