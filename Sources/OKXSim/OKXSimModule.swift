// OKXSim module: see README "Layout".
public enum OKXSimModule {}
