"""The Docker volume plugin: Cinder volumes as Docker volumes."""
