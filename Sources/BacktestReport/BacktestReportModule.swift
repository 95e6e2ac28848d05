public enum BacktestReportModule {}
