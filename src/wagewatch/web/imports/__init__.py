"""Data import (数据导入): upload a file, import it as one batch, re-grade, list batches."""
