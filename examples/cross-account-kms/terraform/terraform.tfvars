analytics_vpc_id = "vpc-0a1b2c3d4e5f60718"
