// Backtest module: see README "Layout".
public enum BacktestModule {}
