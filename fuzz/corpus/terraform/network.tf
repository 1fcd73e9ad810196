variable "analytics_vpc_id" {
  description = "VPC of the ETL instances"
  type        = string
  default     = "vpc-0a1b2c3d4e5f60718"
}

variable "analytics_route_table_ids" {
  type    = list(string)
  default = ["rtb-0123456789abcdef0"]
}

# Gateway endpoint of the analytics VPC. Its policy still names the staging bucket only.
resource "aws_vpc_endpoint" "s3" {
  provider          = aws.analytics
  vpc_id            = var.analytics_vpc_id
  service_name      = "com.amazonaws.us-east-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = var.analytics_route_table_ids

  policy = jsonencode({
    Id      = "Policy1234567890123"
    Version = "2012-10-17"
    Statement = [
      {
        Sid    = "Stmt1234567890123"
        Action = ["s3:GetObject", "s3:PutObject"]
        Effect = "Allow"
        Resource = [
          "arn:aws:s3:::example-analytics-staging",
          "arn:aws:s3:::example-analytics-staging/*",
        ]
        Principal = "*"
      },
    ]
  })
}
