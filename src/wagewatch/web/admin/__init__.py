"""System administration (系统管理): organisation units and user accounts."""
