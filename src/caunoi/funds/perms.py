"""The funds' permissions (granted to roles in FundsConfig.ready())."""

RECORD = "funds.record"
APPROVE = "funds.approve"
READ = "funds.read"
