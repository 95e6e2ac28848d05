// Worker module: see README "Layout".
public enum WorkerModule {}
