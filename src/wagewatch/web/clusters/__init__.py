"""Industry-cluster warnings (行业集群预警): rulebooks whose subject is an industry, e.g. 宣恩."""
