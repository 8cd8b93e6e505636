"""The report model: pydantic models, departments, status, fiscal years, numbers, flat records."""
