terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

# The member account 111122223333 (data) holds the role and the bucket.
provider "aws" {
  region = "us-east-1"
}

# The management account 123456789012 owns the organization's policies.
provider "aws" {
  alias  = "management"
  region = "us-east-1"
}

variable "data_platform_ou_id" {
  type    = string
  default = "ou-ab12-34cd5678"
}

resource "aws_s3_bucket" "curated" {
  bucket = "example-data-curated"
}

resource "aws_iam_role" "data_engineer" {
  name = "DataEngineer"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "ec2.amazonaws.com" }
    }]
  })
}

resource "aws_iam_policy" "curated_read_write" {
  name = "curated-read-write"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "CuratedReadWrite"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject"]
        Resource = "${aws_s3_bucket.curated.arn}/*"
      },
    ]
  })
}

resource "aws_iam_role_policy_attachment" "data_engineer" {
  role       = aws_iam_role.data_engineer.name
  policy_arn = aws_iam_policy.curated_read_write.arn
}

resource "aws_organizations_policy" "deny_s3" {
  provider    = aws.management
  name        = "deny-s3"
  description = "temporary freeze of S3 in the data platform OU"
  type        = "SERVICE_CONTROL_POLICY"
  content = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "DenyS3"
        Effect   = "Deny"
        Action   = "S3:*"
        Resource = "*"
      },
    ]
  })
}

resource "aws_organizations_policy_attachment" "deny_s3" {
  provider  = aws.management
  policy_id = aws_organizations_policy.deny_s3.id
  target_id = var.data_platform_ou_id
}
