"""Tables and the shared adapters every stage needs: settings, database, blob store, queue."""
