print("candlestack")
