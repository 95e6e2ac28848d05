// OKX module: see README "Layout".
public enum OKXModule {}
