// okx-sim: an OKX-compatible market-data simulator (built in the ingest issue).
print("okx-sim")
