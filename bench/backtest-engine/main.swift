print("bench-backtest-engine")
