public enum MigratorModule {}
